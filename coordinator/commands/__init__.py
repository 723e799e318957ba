"""``fedcoord`` subcommands, one module per feature, each with ``register(sub)``.

List a new module in :data:`coordinator.cli.COMMAND_MODULES`.
"""
