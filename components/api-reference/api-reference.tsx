'use client';
/**
 * The API reference: Swagger UI rendering the OpenAPI document the page passes in. It is
 * swagger-ui-dist's prebuilt ES bundle, served from our own build (no CDN, works offline), loaded
 * in the browser only: swagger-ui-react, compiled by Next.js's bundler, failed at run time on
 * OpenAPI 3.1 ("refract is not a function" from its ApiDOM resolver), the prebuilt bundle does
 * not. It runs under the dashboard's CSP: its code is one of our nonce-loaded chunks, its styles
 * are inline or from its CSS file (style-src allows both), and the document is a prop, so it
 * fetches nothing; "Try it out" calls /api/v1 on this origin with the dashboard's own Origin.
 */
import { useEffect, useRef, useState } from 'react';
import 'swagger-ui-dist/swagger-ui.css';
import './api-reference.css';

/** Swagger UI's server picker has no label; axe (and a screen reader) needs one. */
function labelServerPicker(root: HTMLElement) {
  for (const select of root.querySelectorAll('select#servers:not([aria-label])')) select.setAttribute('aria-label', 'Server');
}

export function ApiReference({ spec }: { spec: object }) {
  const node = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let cancelled = false;
    let observer: MutationObserver | undefined;
    import('swagger-ui-dist/swagger-ui-es-bundle.js')
      .then(({ default: SwaggerUIBundle }) => {
        const root = node.current;
        if (cancelled || !root) return;
        observer = new MutationObserver(() => labelServerPicker(root));
        observer.observe(root, { childList: true, subtree: true });
        SwaggerUIBundle({ domNode: root, spec, docExpansion: 'list', defaultModelsExpandDepth: 0, deepLinking: false });
      })
      .catch(() => setFailed(true));
    return () => {
      cancelled = true;
      observer?.disconnect();
    };
  }, [spec]);
  return (
    <div className="hy-api-reference rounded-lg bg-white ring-1 ring-slate-200">
      {failed ? <p className="p-4 text-sm text-red-700">The reference could not be loaded; the document is at /api/v1/openapi.json.</p> : null}
      <div ref={node} data-testid="api-reference" />
    </div>
  );
}
