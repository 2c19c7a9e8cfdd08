#!/bin/sh
# Stand-in for Prisma's native schema engine, which cannot be downloaded here.
# `prisma generate` only needs the path to exist; anything that would run the engine
# (prisma migrate, db push) lands here and is pointed at the project's own commands.
echo "Glassbox does not use Prisma's native schema engine. Use 'npm run db:migrate' to apply migrations and 'npm run db:migration:new -- NAME' to create one." >&2
exit 1
