// swagger2openapi ships no types; only the call we make is declared.
declare module "swagger2openapi" {
  export function convertObj(swagger: object, options: { patch?: boolean; warnOnly?: boolean; resolveInternal?: boolean }): Promise<{ openapi: object }>;
  const s2o: { convertObj: typeof convertObj };
  export default s2o;
}
