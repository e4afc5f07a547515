"""Loading a project in the kernel: fresh imports, Hamilton's build, code versions,
the work after a load."""
