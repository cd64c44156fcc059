-- A delivery's `paused` is no longer stored: a pending delivery of a paused destination is
-- reported paused (lib/deliveries/lifecycle/state-machine.ts), so no sweep has to keep two copies
-- in step. The enum keeps the value, so older code and rows in flight during a deploy still read.
UPDATE "deliveries" SET "status" = 'pending' WHERE "status" = 'paused';
