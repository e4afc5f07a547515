"""Finding a project's dataflow modules: which files, what each holds, the project's
settings, its graph read from the source.
"""
