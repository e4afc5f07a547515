"""Runs on threads, processes, a Dask cluster or Ray, through Hamilton's task executors."""
