#!/usr/bin/env bash
# Writes prisma/migrations/<timestamp>_<name>/migration.sql: the SQL that turns the schema at a git
# revision (HEAD unless given) into the working tree's prisma/schema.prisma.
#
#   scripts/new-migration.sh add_destination_tags [BASE_REF]
#
# Prisma 7's CLI downloads its schema engine before every command, which these machines cannot do.
# Prisma 6.19's CLI carries a WASM schema engine instead: with `engine: 'js'` and a driver adapter
# in its prisma.config.ts, `prisma migrate diff` between two schema files needs no engine download
# (and, with the stub adapter below, no database). It is installed once into a cache folder,
# outside the project's dependencies. Why and how: docs/migrations.md.
set -euo pipefail

usage() {
  echo "usage: $0 NAME [BASE_REF]   (NAME: lowercase letters, digits and _)" >&2
  exit 2
}
name="${1:-}"
base_ref="${2:-HEAD}"
[[ "$name" =~ ^[a-z0-9_]+$ ]] || usage

root="$(git rev-parse --show-toplevel)"
schema="$root/prisma/schema.prisma"
migrations="$root/prisma/migrations"
prisma6_version="6.19.3"
tool_dir="${HOOKYARD_PRISMA6_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/hookyard/prisma-$prisma6_version}"

if [[ ! -x "$tool_dir/node_modules/.bin/prisma" ]]; then
  echo "new-migration: installing prisma@$prisma6_version into $tool_dir (once)" >&2
  mkdir -p "$tool_dir"
  (
    cd "$tool_dir"
    [[ -f package.json ]] || echo '{ "name": "hookyard-prisma6", "private": true }' >package.json
    # --ignore-scripts: @prisma/engines' postinstall would try to download the Rust engines.
    npm install --no-audit --no-fund --ignore-scripts --loglevel=error "prisma@$prisma6_version" >&2
  )
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Prisma 6 wants a url in the datasource block (Prisma 7 forbids it there); nothing connects to it.
add_url() {
  awk '
    /^datasource[ \t]/ { in_ds = 1 }
    { print }
    in_ds && /provider[ \t]*=/ { print "  url = \"postgresql://localhost:1/unused\""; in_ds = 0 }
  ' "$1" >"$2"
}

if git -C "$root" cat-file -e "$base_ref:prisma/schema.prisma" 2>/dev/null; then
  git -C "$root" show "$base_ref:prisma/schema.prisma" >"$work/old.raw.prisma"
else
  echo "new-migration: $base_ref has no prisma/schema.prisma; diffing from an empty schema" >&2
  printf 'datasource db {\n  provider = "postgresql"\n}\n' >"$work/old.raw.prisma"
fi
add_url "$work/old.raw.prisma" "$work/old.prisma"
add_url "$schema" "$work/new.prisma"

# Prisma 6.19 insists on a driver adapter and asks it one question (the server version) before
# diffing, although two datamodels need no database. This stub answers that question, so no
# Postgres has to run; anything else it is asked fails loudly. The output is byte-identical to a
# run against a real PostgreSQL (checked by regenerating the init migration).
cat >"$work/prisma.config.ts" <<'TS'
import { defineConfig } from 'prisma/config';

const connection = {
  provider: 'postgres',
  adapterName: '@prisma/adapter-pg',
  getConnectionInfo: () => ({ schemaName: undefined, supportsRelationJoins: true }),
  async queryRaw(query: { sql: string }) {
    if (!query.sql.includes('version()')) throw new Error(`new-migration: unexpected query ${query.sql}`);
    // Column types from @prisma/driver-adapter-utils' ColumnTypeEnum: Boolean 5, Text 7, Int32 0.
    return {
      columnNames: ['exists', 'version', 'numeric_version'],
      columnTypes: [5, 7, 0],
      rows: [[true, 'PostgreSQL 16.0', 160000]],
    };
  },
  async executeRaw(query: { sql: string }): Promise<number> {
    throw new Error(`new-migration: unexpected statement ${query.sql}`);
  },
  async executeScript(): Promise<void> {
    throw new Error('new-migration: unexpected script');
  },
  async startTransaction(): Promise<never> {
    throw new Error('new-migration: unexpected transaction');
  },
  async dispose() {},
};

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: 'new.prisma',
  async adapter() {
    return {
      provider: 'postgres',
      adapterName: '@prisma/adapter-pg',
      connect: async () => connection,
      connectToShadowDb: async () => connection,
    } as never;
  },
});
TS
ln -s "$tool_dir/node_modules" "$work/node_modules"
: >"$work/no-engine"

(
  cd "$work"
  # Any existing file will do: the CLI checks that they exist, and diffing datamodels never runs them.
  PRISMA_QUERY_ENGINE_LIBRARY="$work/no-engine" PRISMA_SCHEMA_ENGINE_BINARY="$work/no-engine" \
    PRISMA_HIDE_UPDATE_MESSAGE=1 CHECKPOINT_DISABLE=1 \
    ./node_modules/.bin/prisma migrate diff \
    --from-schema-datamodel old.prisma --to-schema-datamodel new.prisma --script >migration.sql
)

if ! grep -qv -e '^--' -e '^[[:space:]]*$' "$work/migration.sql"; then
  echo "new-migration: no schema changes between $base_ref and the working tree; nothing written" >&2
  exit 1
fi

stamp="$(date -u +%Y%m%d%H%M%S)"
last=""
for dir in "$migrations"/*/; do
  [[ -d "$dir" ]] && last="$(basename "$dir")" # the glob expands in sorted order
done
if [[ -n "$last" && ! "${stamp}_$name" > "$last" ]]; then
  echo "new-migration: ${stamp}_$name would sort before the last migration $last; check the clock" >&2
  exit 1
fi
target="$migrations/${stamp}_$name"
mkdir -p "$target"
cp "$work/migration.sql" "$target/migration.sql"

echo "new-migration: wrote ${target#"$root"/}/migration.sql"
echo "  next: read it, then npm run db:generate && npx vitest run --project integration tests/integration/migrations.test.ts"
