"""From extracted results to a meta-analysis: effect sizes, pooling, forest plots and
risk of bias (RoB 2). No Qt: the command line and the window call the same code."""
