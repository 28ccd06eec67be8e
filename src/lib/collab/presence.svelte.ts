import type { Awareness } from 'y-protocols/awareness';

export interface Present {
	clientId: number;
	userId: string;
	name: string;
	color: string;
	self: boolean;
}

/**
 * Who is in the plan now, from the awareness of one or more documents. The server stamps every
 * awareness state with the real name, so what is shown here cannot be forged by another client.
 * A person with several tabs or devices is shown once.
 */
export class Presence {
	#people = $state<Present[]>([]);
	private readonly off: (() => void)[] = [];

	/** Me first, then the others by name. */
	get people(): Present[] {
		return this.#people;
	}

	constructor(private readonly awarenesses: Awareness[]) {
		for (const a of awarenesses) {
			const update = () => this.refresh();
			a.on('change', update);
			this.off.push(() => a.off('change', update));
		}
		this.refresh();
	}

	private refresh(): void {
		// Built here and published whole below; nothing reads it while it is built.
		// eslint-disable-next-line svelte/prefer-svelte-reactivity
		const byUser = new Map<string, Present>();
		for (const a of this.awarenesses) {
			for (const [clientId, state] of a.getStates()) {
				const user = (state as { user?: { id?: unknown; name?: unknown; color?: unknown } }).user;
				if (!user || typeof user.name !== 'string') continue;
				const userId = typeof user.id === 'string' ? user.id : `client-${clientId}`;
				const self = clientId === a.clientID;
				const known = byUser.get(userId);
				if (!known || self)
					byUser.set(userId, {
						clientId,
						userId,
						name: user.name,
						color: typeof user.color === 'string' ? user.color : '#555',
						self: self || !!known?.self
					});
			}
		}
		this.#people = [...byUser.values()].sort((x, y) => Number(y.self) - Number(x.self) || x.name.localeCompare(y.name));
	}

	destroy(): void {
		for (const off of this.off) off();
	}
}
