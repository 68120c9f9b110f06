// Wires a client to its coordinator: checks the option, attaches, and turns the coordinator's state changes into
// the client's `coordinatorDown` / `coordinatorUp` events.
import { ConfigurationError } from "../errors.js";
import type { EventHub } from "../events.js";
import type { Coordinator, CoordinatorAttachment, CoordinatorClient } from "./types.js";

export function attachCoordinator(coordinator: Coordinator | undefined, client: CoordinatorClient, events: EventHub): CoordinatorAttachment | undefined {
  if (coordinator === undefined) return undefined;
  if (!coordinator || typeof coordinator !== "object" || typeof (coordinator as Partial<Coordinator>).attach !== "function") {
    throw new ConfigurationError("coordinator must be a Coordinator (e.g. createRedisCoordinator() from genesys-cloud-sdk/redis), an object with attach().");
  }
  const attachment = coordinator.attach(client);
  attachment.onState((s) => {
    if (s.state === "up") events.emit("coordinatorUp", {});
    else events.emit("coordinatorDown", { reason: s.reason });
  });
  return attachment;
}
