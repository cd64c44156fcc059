-- Issue 13: the alert rules' evaluator (lib/alerts/rules/evaluate-alert-rules.ts). One row per
-- periodic evaluation: every worker ticks, and the one that locks this row (FOR UPDATE SKIP
-- LOCKED) and finds the last run at least an interval old evaluates; the others skip. So each
-- condition is evaluated once per interval across all workers, not once per worker.
CREATE TABLE "alert_rule_runs" (
    "name" TEXT NOT NULL,
    "ran_at" TIMESTAMPTZ(3) NOT NULL,
    "duration_ms" INTEGER NOT NULL DEFAULT 0,
    "ran_by" TEXT,
    "last_error" TEXT,
    CONSTRAINT "alert_rule_runs_pkey" PRIMARY KEY ("name")
);

INSERT INTO "alert_rule_runs" ("name", "ran_at") VALUES ('alert-rules', '1970-01-01T00:00:00Z');
