'use client';

import { useState } from 'react';
import { Input, Select } from '@/components/ui/field';

/**
 * The other end of a new route: a search box over a sorted list whose labels carry the slug
 * (sources) or the URL (destinations), so "ux stripe pay" and "ux-stripe-pay" can be told apart
 * and a long list can be narrowed by typing.
 */
export function RoutePicker({
  id,
  kind,
  value,
  onChange,
  choices,
}: {
  id: string;
  kind: 'sources' | 'destinations';
  value: string;
  onChange: (id: string) => void;
  /** Already sorted; `label` is what is shown and searched. */
  choices: { id: string; label: string }[];
}) {
  const [query, setQuery] = useState('');
  const matching = (text: string) => {
    const words = text.toLowerCase().split(/\s+/).filter(Boolean);
    return choices.filter((choice) => words.every((word) => choice.label.toLowerCase().includes(word)));
  };
  const shown = matching(query);
  const search = (text: string) => {
    setQuery(text);
    // Keep the choice while it still matches; otherwise the first match is the one a save would use.
    const next = matching(text);
    if (next.length > 0 && !next.some((choice) => choice.id === value)) onChange(next[0]!.id);
  };
  return (
    <div className="space-y-2">
      <Input
        type="search"
        aria-label={`Find by name or ${kind === 'sources' ? 'slug' : 'URL'}`}
        placeholder={kind === 'sources' ? 'Search by name or slug' : 'Search by name or URL'}
        value={query}
        onChange={(event) => search(event.target.value)}
      />
      <Select id={id} value={value} onChange={(event) => onChange(event.target.value)} size={Math.min(Math.max(shown.length, 2), 6)}>
        {shown.map((choice) => (
          <option key={choice.id} value={choice.id}>
            {choice.label}
          </option>
        ))}
      </Select>
      {shown.length === 0 ? (
        <p className="text-xs text-slate-500">
          No {kind} match “{query}”.
        </p>
      ) : null}
    </div>
  );
}
