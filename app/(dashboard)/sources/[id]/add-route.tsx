'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { type DestinationChoice, RouteEditor } from '../../destinations/[id]/routes-panel';

/** "Add route" on a source's page: the same editor as on a destination's, picking the destination. */
export function AddRouteFromSource({ source, destinations }: { source: { id: string; name: string }; destinations: DestinationChoice[] }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        className="shrink-0 whitespace-nowrap"
        onClick={() => setOpen(true)}
        disabled={destinations.length === 0}
        title={destinations.length === 0 ? 'Every destination already has a route from this source' : undefined}
      >
        Add route
      </Button>
      {open ? <RouteEditor fromSource={source} destinations={destinations} onClose={() => setOpen(false)} /> : null}
    </>
  );
}
