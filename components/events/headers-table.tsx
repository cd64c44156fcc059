/** Header names and values as text, sorted by name, wrapping long values rather than widening the page. */
export function HeadersTable({ headers, caption, testId }: { headers: unknown; caption: string; testId?: string }) {
  const entries =
    headers && typeof headers === 'object' && !Array.isArray(headers)
      ? Object.entries(headers as Record<string, unknown>)
          .map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : String(value ?? '')] as const)
          .sort(([a], [b]) => a.localeCompare(b))
      : [];
  if (entries.length === 0) return <p className="text-sm text-slate-500">No headers.</p>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full table-fixed text-[13px]" data-testid={testId}>
        <caption className="sr-only">{caption}</caption>
        <colgroup>
          <col className="w-2/5 sm:w-1/3" />
          <col />
        </colgroup>
        <thead className="sr-only">
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {entries.map(([name, value]) => (
            <tr key={name} className="align-top">
              <th scope="row" className="break-all py-1.5 pr-3 text-left font-mono font-medium text-slate-600">
                {name}
              </th>
              <td className="break-all py-1.5 font-mono text-slate-900">{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
