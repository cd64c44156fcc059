'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { type DestinationChoice, RouteEditor, type RouteRow } from '../../destinations/[id]/routes-panel';

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

/** "Edit" on a source's page: the same editor (patterns, filter, transform and its test run) for the route to one destination. */
export function EditRouteFromSource({ route, destination }: { route: RouteRow; destination: { id: string; name: string } }) {
  const destinationName = destination.name;
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="secondary" className="px-2.5 py-1.5 text-xs" aria-label={`Edit route to ${destinationName}`} onClick={() => setOpen(true)}>
        Edit
      </Button>
      {open ? <RouteEditor route={route} destinationId={destination.id} title={`Edit route to ${destinationName}`} onClose={() => setOpen(false)} /> : null}
    </>
  );
}
