'use client';
/**
 * The API reference: Swagger UI (swagger-ui-react, bundled, so it works offline) rendering the
 * OpenAPI document the page passes in. Loaded in the browser only: Swagger UI touches `window`
 * while it renders. It runs under the dashboard's CSP (its scripts come from our own bundle; its
 * inline styles are allowed by style-src), and "Try it out" calls /api/v1 on this origin with the
 * signed-in session, so the CSRF rule sees the dashboard's own Origin.
 */
import dynamic from 'next/dynamic';
import 'swagger-ui-react/swagger-ui.css';

const SwaggerUI = dynamic(() => import('swagger-ui-react'), {
  ssr: false,
  loading: () => <p className="text-sm text-slate-500">Loading the reference…</p>,
});

export function ApiReference({ spec }: { spec: object }) {
  return (
    <div data-testid="api-reference" className="rounded-lg bg-white ring-1 ring-slate-200">
      <SwaggerUI spec={spec} docExpansion="list" defaultModelsExpandDepth={0} deepLinking={false} />
    </div>
  );
}
