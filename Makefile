# The two commands a newcomer needs (README.md). Both install what is missing first.
# `make generate` rewrites the files made from the field description (fields.rs).
# `make fuzz` is for those changing the parser: it needs a nightly toolchain (scripts/fuzz.sh).
.PHONY: serve test dist fuzz generate
serve:
	@scripts/serve.sh
test:
	@scripts/test.sh
# make dist CATALOG=path/to/catalog.yaml [PUBLIC_URL=/backfills/]: the site for a team (docs/deploy.md).
dist:
	@CATALOG="$(CATALOG)" PUBLIC_URL="$(PUBLIC_URL)" SITE_ROOT="$(SITE_ROOT)" DIST="$(DIST)" scripts/dist.sh
fuzz:
	@scripts/fuzz.sh

generate:
	UPDATE_GENERATED=1 cargo test -p backfill-spec --test generated
