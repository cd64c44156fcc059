/**
 * Folder-level import cycles: modules collapse to the folder that names their concept
 * (`lib/ingest/…` → `lib/ingest`, `components/events/…` → `components/events`, the whole of
 * `app/` → `app`), and every strongly connected set of two or more folders is a cycle.
 */

export interface ImportEdge {
  from: string;
  to: string;
}

export interface FolderCycle {
  /** The folders that import each other, sorted. */
  folders: string[];
  /** One import for each folder-to-folder step inside the cycle, to show where to cut it. */
  examples: ImportEdge[];
}

/** The concept a module belongs to: two levels under lib/ and components/, one elsewhere. */
export function folderOf(path: string): string {
  const parts = path.split('/');
  if (parts.length === 1) return '.';
  if ((parts[0] === 'lib' || parts[0] === 'components') && parts.length > 2) return `${parts[0]}/${parts[1]}`;
  return parts[0]!;
}

export function folderCycles(edges: readonly ImportEdge[]): FolderCycle[] {
  const graph = new Map<string, Map<string, ImportEdge>>();
  for (const edge of edges) {
    const from = folderOf(edge.from);
    const to = folderOf(edge.to);
    if (!graph.has(to)) graph.set(to, new Map());
    const out = graph.get(from) ?? new Map<string, ImportEdge>();
    graph.set(from, out);
    if (from !== to && !out.has(to)) out.set(to, edge);
  }
  return stronglyConnected(graph)
    .filter((component) => component.length > 1)
    .map((component) => {
      const members = new Set(component);
      const examples = component.flatMap((folder) => [...graph.get(folder)!].filter(([to]) => members.has(to)).map(([, edge]) => edge));
      return { folders: [...component].sort(), examples };
    })
    .sort((a, b) => a.folders[0]!.localeCompare(b.folders[0]!));
}

/** Tarjan's algorithm, iterative so that a deep graph cannot overflow the stack. */
function stronglyConnected(graph: Map<string, Map<string, ImportEdge>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;

  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work: Array<{ node: string; next: Iterator<string> }> = [];
    const visit = (node: string) => {
      index.set(node, counter);
      low.set(node, counter);
      counter += 1;
      stack.push(node);
      onStack.add(node);
      work.push({ node, next: graph.get(node)!.keys() });
    };
    visit(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const step = frame.next.next();
      if (!step.done) {
        const target = step.value;
        if (!index.has(target)) visit(target);
        else if (onStack.has(target)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(target)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        components.push(component);
      }
    }
  }
  return components;
}
