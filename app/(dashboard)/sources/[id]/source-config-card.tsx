'use client';

import { type ReactNode, useState } from 'react';
import type { ProviderOption } from '@/components/sources/provider-fields';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { SourceForm, type SourceFormValues } from '../source-form';

/** The source's configuration: a read-only summary, and for admins an inline edit form. */
export function SourceConfigCard({
  summary,
  edit,
}: {
  summary: ReactNode;
  edit?: { sourceId: string; providers: ProviderOption[]; baseUrl: string; initial: SourceFormValues };
}) {
  const [editing, setEditing] = useState(false);
  return (
    <Card
      title="Configuration"
      description={editing ? 'Changes apply to the next request.' : 'How this source verifies, limits and reads its requests.'}
      actions={
        edit && !editing ? (
          <Button variant="secondary" className="shrink-0" onClick={() => setEditing(true)}>
            Edit
          </Button>
        ) : null
      }
    >
      {edit && editing ? (
        <SourceForm
          mode="edit"
          sourceId={edit.sourceId}
          providers={edit.providers}
          baseUrl={edit.baseUrl}
          initial={edit.initial}
          onCancel={() => setEditing(false)}
          onSaved={() => setEditing(false)}
        />
      ) : (
        summary
      )}
    </Card>
  );
}
