# The two commands a newcomer needs (README.md). Both install what is missing first.
.PHONY: serve test
serve:
	@scripts/serve.sh
test:
	@scripts/test.sh
