-- Route transforms (lib/transforms): the route's JavaScript, and the error kind of an attempt it failed.
ALTER TYPE "AttemptErrorKind" ADD VALUE 'transform_error';

ALTER TABLE "routes" ADD COLUMN "transform" TEXT;
