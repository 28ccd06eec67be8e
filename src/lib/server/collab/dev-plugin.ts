import type { Plugin } from 'vite';

/**
 * `npm run dev`: Vite owns the HTTP server, so the collab upgrade handler is attached here.
 * It is loaded through Vite's SSR module graph, so it shares one runtime (database, documents) with the app.
 */
export function collabDevServer(): Plugin {
	return {
		name: 'fellesplan-collab-dev',
		apply: 'serve',
		configureServer(server) {
			server.httpServer?.on('upgrade', async (req, socket, head) => {
				const notices = req.url === '/notices';
				if (!req.url?.startsWith('/collab/') && !notices) return; // Vite's own HMR socket
				try {
					const { getRuntime } = await server.ssrLoadModule('/src/lib/server/runtime.ts');
					const runtime = await getRuntime();
					if (notices) runtime.notify.handleUpgrade(req, socket, head);
					else runtime.collab.handleUpgrade(req, socket, head);
				} catch (err) {
					server.config.logger.error(`collab upgrade failed: ${(err as Error).message}`);
					socket.destroy();
				}
			});
		}
	};
}
