CREATE TABLE "tournament_schedules" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "tournament_schedules_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"guild_id" text NOT NULL,
	"cron" text NOT NULL,
	"timezone" text NOT NULL,
	"channel_id" text NOT NULL,
	"format" text NOT NULL,
	"rounds" integer NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"next_run_at" timestamp with time zone,
	"updated_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tournament_schedules_guild_key" UNIQUE("guild_id"),
	CONSTRAINT "tournament_schedules_format" CHECK ("tournament_schedules"."format" in ('round-robin', 'swiss', 'single-elimination')),
	CONSTRAINT "tournament_schedules_rounds" CHECK ("tournament_schedules"."rounds" between 1 and 100000)
);
--> statement-breakpoint
CREATE TABLE "tournament_unplayed" (
	"tournament_id" integer NOT NULL,
	"pairing_key" text NOT NULL,
	"round" integer NOT NULL,
	"bot0_id" integer NOT NULL,
	"bot1_id" integer NOT NULL,
	"winner_seat" smallint,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tournament_unplayed_pkey" PRIMARY KEY("tournament_id","pairing_key"),
	CONSTRAINT "tournament_unplayed_winner_seat" CHECK ("tournament_unplayed"."winner_seat" in (0, 1))
);
--> statement-breakpoint
CREATE TABLE "tournaments" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "tournaments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"guild_id" text NOT NULL,
	"schedule_id" integer,
	"format" text NOT NULL,
	"options" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"rounds" integer NOT NULL,
	"seed" text NOT NULL,
	"total_matches" integer NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"entrants" jsonb NOT NULL,
	"limits" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"channel_id" text,
	"progress_message_id" text,
	"thread_id" text,
	"lease_owner" text,
	"lease_expires_at" timestamp with time zone,
	"started_by" text NOT NULL,
	"standings" jsonb,
	"cancel_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tournaments_status" CHECK ("tournaments"."status" in ('pending', 'running', 'finished', 'cancelled')),
	CONSTRAINT "tournaments_format" CHECK ("tournaments"."format" in ('round-robin', 'swiss', 'single-elimination')),
	CONSTRAINT "tournaments_rounds" CHECK ("tournaments"."rounds" between 1 and 100000),
	CONSTRAINT "tournaments_lease" CHECK (("tournaments"."lease_owner" is null) = ("tournaments"."lease_expires_at" is null))
);
--> statement-breakpoint
ALTER TABLE "matches" ADD COLUMN "pairing_key" text;--> statement-breakpoint
ALTER TABLE "tournament_schedules" ADD CONSTRAINT "tournament_schedules_guild_id_guilds_id_fk" FOREIGN KEY ("guild_id") REFERENCES "public"."guilds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tournament_unplayed" ADD CONSTRAINT "tournament_unplayed_tournament_id_tournaments_id_fk" FOREIGN KEY ("tournament_id") REFERENCES "public"."tournaments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tournaments" ADD CONSTRAINT "tournaments_guild_id_guilds_id_fk" FOREIGN KEY ("guild_id") REFERENCES "public"."guilds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tournaments" ADD CONSTRAINT "tournaments_schedule_id_tournament_schedules_id_fk" FOREIGN KEY ("schedule_id") REFERENCES "public"."tournament_schedules"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "tournament_schedules_next_run_idx" ON "tournament_schedules" USING btree ("next_run_at") WHERE "tournament_schedules"."enabled";--> statement-breakpoint
CREATE UNIQUE INDEX "tournaments_one_active_per_guild" ON "tournaments" USING btree ("guild_id") WHERE "tournaments"."status" in ('pending', 'running');--> statement-breakpoint
CREATE INDEX "tournaments_guild_idx" ON "tournaments" USING btree ("guild_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "tournaments_active_idx" ON "tournaments" USING btree ("id") WHERE "tournaments"."status" in ('pending', 'running');--> statement-breakpoint
ALTER TABLE "matches" ADD CONSTRAINT "matches_tournament_id_tournaments_id_fk" FOREIGN KEY ("tournament_id") REFERENCES "public"."tournaments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matches" ADD CONSTRAINT "matches_tournament_pairing_key" UNIQUE("tournament_id","pairing_key");--> statement-breakpoint
ALTER TABLE "matches" ADD CONSTRAINT "matches_tournament_pairing" CHECK (("matches"."tournament_id" is null) = ("matches"."pairing_key" is null) and ("matches"."tournament_id" is null) = ("matches"."tournament_round" is null));