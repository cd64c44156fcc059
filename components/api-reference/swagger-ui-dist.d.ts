/** swagger-ui-dist ships no types; this is the part components/api-reference/api-reference.tsx uses. */
declare module 'swagger-ui-dist/swagger-ui-es-bundle.js' {
  const SwaggerUIBundle: (options: {
    domNode: HTMLElement;
    spec: object;
    docExpansion?: 'list' | 'full' | 'none';
    defaultModelsExpandDepth?: number;
    deepLinking?: boolean;
  }) => unknown;
  export default SwaggerUIBundle;
}
