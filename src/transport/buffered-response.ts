// An answer whose body the transport has already read into memory (inside the attempt, so timeouts cover it).
// A plain `new Response(bytes)` would put the bytes back into a stream that openapi-fetch then reads again —
// twice the stream machinery on every call; this one hands them out directly, and makes a stream only for whoever
// asks for `body`. It behaves as a Response otherwise: one read, then `bodyUsed`; `clone()` for another.

/** Statuses whose answer has no body. */
const NULL_BODY = new Set([101, 204, 205, 304]);
const decoder = new TextDecoder();

export class BufferedResponse extends Response {
  readonly #bytes: Uint8Array<ArrayBuffer>;
  readonly #url: string;
  readonly #redirected: boolean;
  #used = false;

  constructor(bytes: Uint8Array<ArrayBuffer>, from: Pick<Response, "status" | "statusText" | "headers" | "url" | "redirected">) {
    super(null, { status: from.status, statusText: from.statusText, headers: from.headers });
    this.#bytes = NULL_BODY.has(from.status) ? new Uint8Array(0) : bytes;
    this.#url = from.url;
    this.#redirected = from.redirected;
  }

  override get url(): string {
    return this.#url;
  }
  override get redirected(): boolean {
    return this.#redirected;
  }
  override get bodyUsed(): boolean {
    return this.#used;
  }
  override get body(): ReadableStream<Uint8Array<ArrayBuffer>> | null {
    if (this.#bytes.byteLength === 0) return null;
    const bytes = this.#take();
    return new ReadableStream<Uint8Array<ArrayBuffer>>({
      start(controller) {
        controller.enqueue(bytes);
        controller.close();
      },
    });
  }

  override async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = this.#take();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  }
  override async bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return this.#take().slice();
  }
  override async text(): Promise<string> {
    return decoder.decode(this.#take());
  }
  override async json(): Promise<unknown> {
    return JSON.parse(decoder.decode(this.#take()));
  }
  override async blob(): Promise<Blob> {
    return new Blob([this.#take()], { type: this.headers.get("content-type") ?? "" });
  }
  override async formData(): Promise<FormData> {
    return new Response(this.#take(), { headers: this.headers }).formData();
  }
  override clone(): BufferedResponse {
    if (this.#used) throw new TypeError("Response.clone: the body has already been read.");
    return new BufferedResponse(this.#bytes, this);
  }

  #take(): Uint8Array<ArrayBuffer> {
    if (this.#used) throw new TypeError("Response body has already been read.");
    this.#used = true;
    return this.#bytes;
  }
}
