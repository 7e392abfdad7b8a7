"""One module per network family; each registers its networks with zoo.registry."""
