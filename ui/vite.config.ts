// Vite builds the UI into ui/dist, which `tauri build` embeds in the binary.
// No remote content: everything the page loads comes from this bundle.
import { defineConfig } from "vite";

export default defineConfig({
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: {
    outDir: "dist",
    target: "es2022",
    // The graph chunk (Cytoscape) is loaded on demand; keep the warning for the entry.
    chunkSizeWarningLimit: 600,
  },
});
