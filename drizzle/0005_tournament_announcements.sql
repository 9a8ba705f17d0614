CREATE TABLE "tournament_announcements" (
	"tournament_id" integer NOT NULL,
	"kind" text NOT NULL,
	"owner" text NOT NULL,
	"claimed_until" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone,
	"messages" jsonb,
	CONSTRAINT "tournament_announcements_pkey" PRIMARY KEY("tournament_id","kind"),
	CONSTRAINT "tournament_announcements_kind" CHECK ("tournament_announcements"."kind" in ('start', 'results', 'cancelled'))
);
--> statement-breakpoint
ALTER TABLE "tournament_announcements" ADD CONSTRAINT "tournament_announcements_tournament_id_tournaments_id_fk" FOREIGN KEY ("tournament_id") REFERENCES "public"."tournaments"("id") ON DELETE cascade ON UPDATE no action;