/** swagger-ui-react ships no types; this is the part components/api-reference/api-reference.tsx uses. */
declare module 'swagger-ui-react' {
  import type { ComponentType } from 'react';
  const SwaggerUI: ComponentType<{
    spec?: object;
    url?: string;
    docExpansion?: 'list' | 'full' | 'none';
    defaultModelsExpandDepth?: number;
    deepLinking?: boolean;
  }>;
  export default SwaggerUI;
}
