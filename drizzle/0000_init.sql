CREATE TABLE "bot_versions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "bot_versions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"bot_id" integer NOT NULL,
	"version" integer NOT NULL,
	"sha256" text NOT NULL,
	"wasm" "bytea" NOT NULL,
	"size_bytes" integer NOT NULL,
	"interface_kind" text NOT NULL,
	"imports" text[] DEFAULT '{}'::text[] NOT NULL,
	"validation" jsonb NOT NULL,
	"smoke_match" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bot_versions_bot_sha256_key" UNIQUE("bot_id","sha256"),
	CONSTRAINT "bot_versions_bot_version_key" UNIQUE("bot_id","version"),
	CONSTRAINT "bot_versions_bot_id_key" UNIQUE("bot_id","id"),
	CONSTRAINT "bot_versions_sha256_hex" CHECK ("bot_versions"."sha256" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "bot_versions_size_matches" CHECK ("bot_versions"."size_bytes" = octet_length("bot_versions"."wasm")),
	CONSTRAINT "bot_versions_interface_kind" CHECK ("bot_versions"."interface_kind" in ('component', 'command')),
	CONSTRAINT "bot_versions_version_positive" CHECK ("bot_versions"."version" >= 1)
);
--> statement-breakpoint
CREATE TABLE "bots" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "bots_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"guild_id" text NOT NULL,
	"owner_id" integer NOT NULL,
	"name" text NOT NULL,
	"name_key" text GENERATED ALWAYS AS (lower(name)) STORED NOT NULL,
	"current_version_id" integer,
	"retired_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bots_guild_owner_name_key" UNIQUE("guild_id","owner_id","name_key"),
	CONSTRAINT "bots_id_guild_key" UNIQUE("id","guild_id"),
	CONSTRAINT "bots_name_length" CHECK (char_length("bots"."name") between 1 and 64)
);
--> statement-breakpoint
CREATE TABLE "guilds" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"limits" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"rate_limits" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "matches" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "matches_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"guild_id" text NOT NULL,
	"kind" text NOT NULL,
	"game" text NOT NULL,
	"seed" text NOT NULL,
	"rounds" integer NOT NULL,
	"draw_margin" integer NOT NULL,
	"rounds_played" integer NOT NULL,
	"bot0_id" integer NOT NULL,
	"bot1_id" integer NOT NULL,
	"bot0_version_id" integer NOT NULL,
	"bot1_version_id" integer NOT NULL,
	"winner_seat" smallint,
	"outcome_reason" text NOT NULL,
	"score" integer NOT NULL,
	"wins0" integer NOT NULL,
	"wins1" integer NOT NULL,
	"ties" integer NOT NULL,
	"fuel0" bigint NOT NULL,
	"fuel1" bigint NOT NULL,
	"wall_micros0" bigint NOT NULL,
	"wall_micros1" bigint NOT NULL,
	"faults" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"log" "bytea" NOT NULL,
	"stderr0" text DEFAULT '' NOT NULL,
	"stderr1" text DEFAULT '' NOT NULL,
	"tournament_id" integer,
	"tournament_round" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "matches_kind" CHECK ("matches"."kind" in ('challenge', 'tournament', 'smoke')),
	CONSTRAINT "matches_tournament_fields" CHECK (("matches"."kind" = 'tournament') = ("matches"."tournament_id" is not null)),
	CONSTRAINT "matches_distinct_bots" CHECK ("matches"."bot0_id" <> "matches"."bot1_id"),
	CONSTRAINT "matches_winner_seat" CHECK ("matches"."winner_seat" in (0, 1)),
	CONSTRAINT "matches_outcome_reason" CHECK ("matches"."outcome_reason" in ('points', 'within-margin', 'forfeit', 'double-forfeit')),
	CONSTRAINT "matches_rules" CHECK ("matches"."rounds" >= 1 and "matches"."draw_margin" >= 0 and "matches"."rounds_played" >= 0)
);
--> statement-breakpoint
CREATE TABLE "players" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "players_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"guild_id" text NOT NULL,
	"user_id" text NOT NULL,
	"display_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "players_guild_user_key" UNIQUE("guild_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "rating_history" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "rating_history_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"match_id" integer NOT NULL,
	"bot_id" integer NOT NULL,
	"mu_before" double precision NOT NULL,
	"sigma_before" double precision NOT NULL,
	"mu_after" double precision NOT NULL,
	"sigma_after" double precision NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rating_history_match_bot_key" UNIQUE("match_id","bot_id")
);
--> statement-breakpoint
CREATE TABLE "ratings" (
	"guild_id" text NOT NULL,
	"game" text NOT NULL,
	"bot_id" integer NOT NULL,
	"mu" double precision NOT NULL,
	"sigma" double precision NOT NULL,
	"conservative" double precision GENERATED ALWAYS AS (mu - 3 * sigma) STORED NOT NULL,
	"played" integer DEFAULT 0 NOT NULL,
	"wins" integer DEFAULT 0 NOT NULL,
	"losses" integer DEFAULT 0 NOT NULL,
	"draws" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ratings_pkey" PRIMARY KEY("bot_id","game"),
	CONSTRAINT "ratings_sigma_positive" CHECK ("ratings"."sigma" > 0),
	CONSTRAINT "ratings_counts" CHECK ("ratings"."played" = "ratings"."wins" + "ratings"."losses" + "ratings"."draws")
);
--> statement-breakpoint
ALTER TABLE "bot_versions" ADD CONSTRAINT "bot_versions_bot_id_bots_id_fk" FOREIGN KEY ("bot_id") REFERENCES "public"."bots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bots" ADD CONSTRAINT "bots_guild_id_guilds_id_fk" FOREIGN KEY ("guild_id") REFERENCES "public"."guilds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bots" ADD CONSTRAINT "bots_owner_id_players_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."players"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bots" ADD CONSTRAINT "bots_current_version_fk" FOREIGN KEY ("id","current_version_id") REFERENCES "public"."bot_versions"("bot_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matches" ADD CONSTRAINT "matches_guild_id_guilds_id_fk" FOREIGN KEY ("guild_id") REFERENCES "public"."guilds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matches" ADD CONSTRAINT "matches_seat0_version_fk" FOREIGN KEY ("bot0_id","bot0_version_id") REFERENCES "public"."bot_versions"("bot_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "matches" ADD CONSTRAINT "matches_seat1_version_fk" FOREIGN KEY ("bot1_id","bot1_version_id") REFERENCES "public"."bot_versions"("bot_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "players" ADD CONSTRAINT "players_guild_id_guilds_id_fk" FOREIGN KEY ("guild_id") REFERENCES "public"."guilds"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rating_history" ADD CONSTRAINT "rating_history_match_id_matches_id_fk" FOREIGN KEY ("match_id") REFERENCES "public"."matches"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rating_history" ADD CONSTRAINT "rating_history_bot_id_bots_id_fk" FOREIGN KEY ("bot_id") REFERENCES "public"."bots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ratings" ADD CONSTRAINT "ratings_bot_fk" FOREIGN KEY ("bot_id","guild_id") REFERENCES "public"."bots"("id","guild_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bots_guild_name_prefix_idx" ON "bots" USING btree ("guild_id","name_key" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "matches_bot0_idx" ON "matches" USING btree ("bot0_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "matches_bot1_idx" ON "matches" USING btree ("bot1_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "matches_guild_idx" ON "matches" USING btree ("guild_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "matches_tournament_idx" ON "matches" USING btree ("tournament_id","tournament_round") WHERE "matches"."tournament_id" is not null;--> statement-breakpoint
CREATE INDEX "rating_history_bot_idx" ON "rating_history" USING btree ("bot_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "ratings_leaderboard_idx" ON "ratings" USING btree ("guild_id","game","conservative" DESC NULLS LAST,"bot_id");