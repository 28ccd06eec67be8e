CREATE TABLE "service_proposals" (
	"id" text PRIMARY KEY NOT NULL,
	"plan_id" text NOT NULL,
	"service_id" text NOT NULL,
	"measure_id" text NOT NULL,
	"proposed_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"settled_at" timestamp with time zone,
	"settled_by" text
);
--> statement-breakpoint
ALTER TABLE "service_proposals" ADD CONSTRAINT "service_proposals_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_proposals" ADD CONSTRAINT "service_proposals_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_proposals" ADD CONSTRAINT "service_proposals_proposed_by_users_id_fk" FOREIGN KEY ("proposed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_proposals" ADD CONSTRAINT "service_proposals_settled_by_users_id_fk" FOREIGN KEY ("settled_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "service_proposals_plan_idx" ON "service_proposals" USING btree ("plan_id","service_id");