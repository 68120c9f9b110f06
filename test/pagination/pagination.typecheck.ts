// Type-level tests of paginate()/pages(), checked by `tsc --noEmit`: every @ts-expect-error must be an error.
import { createGenesysClient } from "../../src/index.js";

const gc = createGenesysClient({ baseUrl: "http://127.0.0.1:1" });

export async function pagingTypeChecks(transactionId: string): Promise<void> {
  for await (const user of gc.paginate("/api/v2/users", { params: { query: { pageSize: 100 } }, limit: 10 })) {
    const name: string | undefined = user.name;
    void name;
    // @ts-expect-error items are users, not pages
    void user.pageCount;
  }
  for await (const page of gc.pages("/api/v2/users", { maxPages: 2 })) {
    const count: number | undefined = page.pageCount;
    const first: string | undefined = page.entities?.[0]?.id;
    void count, first;
  }
  for await (const entry of gc.paginate("/api/v2/audits/query/{transactionId}/results", { params: { path: { transactionId } } })) {
    const id: string | undefined = entry.id;
    void id;
  }
  for await (const contact of gc.paginate("/api/v2/externalcontacts/scan/contacts")) void contact.firstName;
  for await (const assistant of gc.paginate("/api/v2/assistants")) void assistant.name;

  // @ts-expect-error not a listing (no `entities`)
  gc.paginate("/api/v2/users/{userId}", { params: { path: { userId: "u" } } });
  // @ts-expect-error path params required
  gc.paginate("/api/v2/audits/query/{transactionId}/results");
  // @ts-expect-error wrong query param type
  gc.paginate("/api/v2/users", { params: { query: { pageSize: "big" } } });
  // @ts-expect-error limit is a number
  gc.pages("/api/v2/users", { limit: "10" });
}
