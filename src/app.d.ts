import type { Db, Engine } from '$lib/server/db';
import type { Session, SessionUser } from '$lib/server/auth/session';

declare global {
	namespace App {
		interface Locals {
			db: Db;
			engine: Engine;
			user: SessionUser | null;
			session: Session | null;
		}
		interface Error {
			message: string;
			/** Quoted to support so they can find the log line; reveals nothing. */
			id?: string;
		}
	}
}

export {};
