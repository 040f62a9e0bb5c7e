"""What runs after the upload: the trigger Lambda (`trigger`) and the DAG's work (`runner`).

`uploaded` reads and checks the object the app uploads (docs/contract.md); both sides use it.
"""
