#!/usr/bin/env bash
# Sourced by ./test.sh and every bench/ script, first: unset the PAMPS_*
# settings they inherit, so that they only ever touch databases they made
# themselves. A developer's PAMPS_DB__uri (.devcontainer and .gitpod.yml set
# one) once had bench/soak.sh reset and seed the developer's own database.
# Kept: the variables that name a test database on purpose.
for _v in $(compgen -e | grep '^PAMPS_' || true); do
	case $_v in
	PAMPS_TEST_DATABASE_URL | PAMPS_TEST_PG_BINDIR | PAMPS_SOAK_DATABASE_URL | PAMPS_BENCH_DATABASE_URL) ;;
	*)
		printf 'ignoring the inherited %s (scripts use databases they make)\n' "$_v" >&2
		unset "$_v"
		;;
	esac
done
unset _v
