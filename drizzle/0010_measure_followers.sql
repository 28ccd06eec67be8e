CREATE TABLE "measure_followers" (
	"plan_id" text NOT NULL,
	"measure_id" text NOT NULL,
	"user_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "measure_followers_plan_id_measure_id_user_id_pk" PRIMARY KEY("plan_id","measure_id","user_id")
);
--> statement-breakpoint
ALTER TABLE "measure_followers" ADD CONSTRAINT "measure_followers_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "measure_followers" ADD CONSTRAINT "measure_followers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "measure_followers_user_idx" ON "measure_followers" USING btree ("user_id","plan_id");