ALTER TABLE "matches" ADD COLUMN "match_key" text;--> statement-breakpoint
ALTER TABLE "matches" ADD CONSTRAINT "matches_match_key" UNIQUE("match_key");