'use client';

import { type ReactNode, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { DestinationForm, type DestinationFormValues } from '../destination-form';

/** The destination's configuration: a read-only summary, and for admins an inline edit form. */
export function DestinationConfigCard({ summary, edit }: { summary: ReactNode; edit?: { destinationId: string; initial: DestinationFormValues } }) {
  const [editing, setEditing] = useState(false);
  return (
    <Card
      title="Configuration"
      description={editing ? 'Changes apply to the next attempt.' : 'Where and how Hookyard sends to this destination.'}
      actions={
        edit && !editing ? (
          <Button variant="secondary" className="shrink-0" onClick={() => setEditing(true)}>
            Edit
          </Button>
        ) : null
      }
    >
      {edit && editing ? (
        <DestinationForm
          mode="edit"
          destinationId={edit.destinationId}
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
