// Shapes of the REST API shared by api and dashboard.
export {};
