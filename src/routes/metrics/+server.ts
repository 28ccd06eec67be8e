import { timingSafeEqual } from 'node:crypto';
import { error } from '@sveltejs/kit';
import { collabMetrics } from '$lib/server/collab';
import type { RequestHandler } from './$types';

/**
 * Prometheus text for operators. Not public: without `METRICS_TOKEN` set there is no such page (404), and a
 * scrape must send `Authorization: Bearer <token>` (401 otherwise).
 */
export const GET: RequestHandler = async ({ request }) => {
	const token = process.env.METRICS_TOKEN;
	if (!token) error(404, 'Not found');
	const given = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1] ?? '';
	const a = Buffer.from(given);
	const b = Buffer.from(token);
	if (a.length !== b.length || !timingSafeEqual(a, b)) {
		return new Response('unauthorized\n', {
			status: 401,
			headers: { 'www-authenticate': 'Bearer', 'content-type': 'text/plain' }
		});
	}
	const { registry } = collabMetrics;
	return new Response(await registry.metrics(), {
		headers: { 'content-type': registry.contentType, 'cache-control': 'no-store' }
	});
};
