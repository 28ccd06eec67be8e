CREATE TABLE "projected_goals" (
	"plan_id" text NOT NULL,
	"goal_id" text NOT NULL,
	"life_area" text NOT NULL,
	"title" text NOT NULL,
	"expressed_by" text NOT NULL,
	"level" text,
	"status" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "projected_goals_plan_id_goal_id_pk" PRIMARY KEY("plan_id","goal_id")
);
--> statement-breakpoint
CREATE TABLE "projected_measures" (
	"plan_id" text NOT NULL,
	"measure_id" text NOT NULL,
	"goal_id" text NOT NULL,
	"title" text NOT NULL,
	"service_id" text,
	"person_id" text,
	"status" text NOT NULL,
	"status_reason" text DEFAULT '' NOT NULL,
	"interim_measure" text DEFAULT '' NOT NULL,
	"start_date" date,
	"due_date" date,
	"answered_by" text,
	"answered_at" timestamp with time zone,
	"counter_of" text,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "projected_measures_plan_id_measure_id_pk" PRIMARY KEY("plan_id","measure_id")
);
--> statement-breakpoint
CREATE TABLE "projection_state" (
	"doc_name" text PRIMARY KEY NOT NULL,
	"through_id" bigint NOT NULL,
	"projected_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "projected_measures_person_idx" ON "projected_measures" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "projected_measures_service_idx" ON "projected_measures" USING btree ("service_id","status");