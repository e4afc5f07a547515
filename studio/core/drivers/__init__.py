"""Reading driver scripts without running them: the drivers they build, their modules,
config, inputs and outputs.
"""
