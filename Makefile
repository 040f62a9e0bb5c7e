# The two commands a newcomer needs (README.md). Both install what is missing first.
# `make fuzz` is for those changing the parser: it needs a nightly toolchain (scripts/fuzz.sh).
.PHONY: serve test fuzz
serve:
	@scripts/serve.sh
test:
	@scripts/test.sh
fuzz:
	@scripts/fuzz.sh
