CREATE TABLE "application_measures" (
	"application_id" text NOT NULL,
	"plan_id" text NOT NULL,
	"measure_id" text NOT NULL,
	CONSTRAINT "application_measures_application_id_measure_id_pk" PRIMARY KEY("application_id","measure_id")
);
--> statement-breakpoint
CREATE TABLE "applications" (
	"id" text PRIMARY KEY NOT NULL,
	"plan_id" text NOT NULL,
	"what" text NOT NULL,
	"service_id" text,
	"body" text,
	"applied_on" date,
	"expected_on" date,
	"status" text NOT NULL,
	"outcome" text,
	"decided_on" date,
	"decision_text" text,
	"decision_recorded_at" timestamp with time zone,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contact_entries" (
	"id" text PRIMARY KEY NOT NULL,
	"plan_id" text NOT NULL,
	"measure_id" text,
	"kind" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"recorded_by" text NOT NULL,
	"service_id" text,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"struck_at" timestamp with time zone,
	"struck_by" text,
	"struck_reason" text
);
--> statement-breakpoint
ALTER TABLE "application_measures" ADD CONSTRAINT "application_measures_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "application_measures" ADD CONSTRAINT "application_measures_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "applications" ADD CONSTRAINT "applications_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_entries" ADD CONSTRAINT "contact_entries_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_entries" ADD CONSTRAINT "contact_entries_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_entries" ADD CONSTRAINT "contact_entries_service_id_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_entries" ADD CONSTRAINT "contact_entries_struck_by_users_id_fk" FOREIGN KEY ("struck_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "application_measures_plan_idx" ON "application_measures" USING btree ("plan_id","measure_id");--> statement-breakpoint
CREATE INDEX "applications_plan_idx" ON "applications" USING btree ("plan_id");--> statement-breakpoint
CREATE INDEX "contact_entries_plan_idx" ON "contact_entries" USING btree ("plan_id","occurred_at");--> statement-breakpoint
CREATE FUNCTION "contact_entries_strike_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	-- The contact log is append-only: the one change an entry takes is being struck out, once, with who and why.
	IF OLD.struck_at IS NOT NULL
		OR NEW.id IS DISTINCT FROM OLD.id OR NEW.plan_id IS DISTINCT FROM OLD.plan_id OR NEW.measure_id IS DISTINCT FROM OLD.measure_id
		OR NEW.kind IS DISTINCT FROM OLD.kind OR NEW.occurred_at IS DISTINCT FROM OLD.occurred_at OR NEW.recorded_by IS DISTINCT FROM OLD.recorded_by
		OR NEW.service_id IS DISTINCT FROM OLD.service_id OR NEW.note IS DISTINCT FROM OLD.note OR NEW.created_at IS DISTINCT FROM OLD.created_at
		OR NEW.struck_at IS NULL OR NEW.struck_by IS NULL OR NEW.struck_reason IS NULL THEN
		RAISE EXCEPTION 'contact_entries is append-only: an entry is only struck out, once';
	END IF;
	RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER "contact_entries_no_change" BEFORE UPDATE ON "contact_entries" FOR EACH ROW EXECUTE FUNCTION "contact_entries_strike_only"();
