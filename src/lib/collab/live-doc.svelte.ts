import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { IndexeddbPersistence } from 'y-indexeddb';
import { offlineStoreName } from './offline';

export type ConnectionState = 'connecting' | 'syncing' | 'online' | 'offline' | 'refused';

/** Close codes our server uses for deliberate refusals; the provider does not retry them. */
export const REFUSAL = { unauthenticated: 4401, forbidden: 4403, badMessage: 4400 } as const;

/**
 * One live Yjs document in the browser: the y-websocket connection to `/collab/<name>`, the offline copy in
 * IndexedDB, and the connection state as runes for the UI.
 */
export class LiveDoc {
	readonly doc = new Y.Doc();
	readonly provider: WebsocketProvider;
	readonly offline: IndexeddbPersistence;
	state = $state<ConnectionState>('connecting');
	/** The close code when the server refused us (4401/4403): the UI says why instead of spinning. */
	refusedWith = $state<number | null>(null);
	/** True once local content (offline copy or server state) is in the doc. */
	ready = $state(false);

	constructor(
		readonly name: string,
		userId: string
	) {
		this.offline = new IndexeddbPersistence(offlineStoreName(userId, name), this.doc);
		// An offline copy with content is good enough to start from; an empty one is not (wait for the server).
		this.offline.whenSynced.then(() => {
			if (this.doc.store.clients.size > 0) this.ready = true;
		});
		const base = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/collab`;
		this.provider = new WebsocketProvider(base, name, this.doc, { disableBc: true, maxBackoffTime: 5000 });
		this.provider.on('status', ({ status }) => {
			if (this.state === 'refused') return;
			this.state = status === 'connected' ? (this.provider.synced ? 'online' : 'syncing') : status === 'connecting' ? 'connecting' : 'offline';
		});
		this.provider.on('sync', (synced: boolean) => {
			if (synced) this.ready = true;
			if (this.state !== 'refused' && this.provider.wsconnected) this.state = synced ? 'online' : 'syncing';
		});
		this.provider.on('connection-close', (event) => {
			if (event && event.code >= 4400 && event.code < 4500) {
				this.state = 'refused';
				this.refusedWith = event.code;
			}
		});
		// The browser knows before the socket does: go offline at once (edits keep landing in IndexedDB),
		// and reconnect the moment the network is back, without waiting for the backoff timer.
		window.addEventListener('offline', this.onOffline);
		window.addEventListener('online', this.onOnline);
	}

	private onOffline = () => {
		if (this.state === 'refused') return;
		this.provider.disconnect();
		this.state = 'offline';
	};

	private onOnline = () => {
		if (this.state === 'refused') return;
		this.provider.connect();
	};

	destroy(): void {
		window.removeEventListener('offline', this.onOffline);
		window.removeEventListener('online', this.onOnline);
		this.provider.destroy();
		this.offline.destroy();
		this.doc.destroy();
	}
}
