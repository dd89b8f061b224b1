"""Personal data: the retention schedule, finding, exporting and erasing a person."""
