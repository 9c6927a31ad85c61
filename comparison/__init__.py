"""Plan comparison: task lineage across plans and years (above pipeline/, below dashboard/)."""
