"""What-if studies: a scenario plus a sweep over its parameters, run cell by cell (locally or
on a Dask cluster), measured from each run's trace, summarised with confidence intervals,
plotted and written to a run folder."""
