// The patient's view is plain server-rendered HTML with forms: no script to download on a slow old phone.
export const csr = false;
