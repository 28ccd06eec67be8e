CREATE TABLE "archive_deliveries" (
	"id" text PRIMARY KEY NOT NULL,
	"plan_id" text NOT NULL,
	"reason" text NOT NULL,
	"version_id" text,
	"meeting_id" text,
	"requested_by" text,
	"state" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"files" jsonb,
	"receipt" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "notify_jobs" RENAME TO "jobs";--> statement-breakpoint
DROP INDEX "notify_jobs_dedupe_idx";--> statement-breakpoint
DROP INDEX "notify_jobs_due_idx";--> statement-breakpoint
ALTER TABLE "plans" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "archive_deliveries_plan_idx" ON "archive_deliveries" USING btree ("plan_id","created_at");--> statement-breakpoint
CREATE INDEX "archive_deliveries_state_idx" ON "archive_deliveries" USING btree ("state");--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_dedupe_idx" ON "jobs" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "jobs_due_idx" ON "jobs" USING btree ("state","run_at");--> statement-breakpoint
-- hand-written
ALTER TABLE "jobs" RENAME CONSTRAINT "notify_jobs_pkey" TO "jobs_pkey";--> statement-breakpoint
ALTER SEQUENCE "notify_jobs_id_seq" RENAME TO "jobs_id_seq";--> statement-breakpoint
-- Plans closed before closing was timed: when the audit log says so, else now (retention then waits its full period).
UPDATE "plans" SET "closed_at" = coalesce(
	(SELECT max("at") FROM "audit_events" WHERE "audit_events"."plan_id" = "plans"."id"
		AND "action" = 'plan.status_changed' AND "detail"->>'to' = 'closed'),
	now()
) WHERE "status" = 'closed';
