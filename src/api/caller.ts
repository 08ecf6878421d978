import type { FastifyRequest } from "fastify";
import type { Caller } from "../services/command.ts";

/** Who sent the request and from where, as a command records it. */
export const callerOf = (req: FastifyRequest): Caller => ({ actor: req.actor, ip: req.ip });
