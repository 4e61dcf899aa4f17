# syntax=docker/dockerfile:1
# One image for both processes: the HTTP API (the default command) and the Temporal worker
# (`node dist/worker/main.js`). docker-compose.yml runs one of each; see it for the environment
# they need (DATABASE_URL, TEMPORAL_ADDRESS, ...).
#
#   docker build -t motcua .
#   docker run -e DATABASE_URL=... -e TEMPORAL_ADDRESS=... -p 3000:3000 motcua
#   docker run -e DATABASE_URL=... -e TEMPORAL_ADDRESS=... -e NODE_OPTIONS=--max-old-space-size=512 \
#     motcua node dist/worker/main.js
# (the worker's heap limit: see docs/scaling.md)

ARG NODE_IMAGE=node:20-bookworm-slim

# --- build: compile TypeScript to dist/ and bundle the workflows ahead of time -------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build
# The staff console (docs/console.md): built here, served by the API from dist/console/dist.
RUN npm run console:build
# The worker would otherwise bundle workflows/ with webpack at every start (seconds, and memory);
# the runtime stage points MOTCUA_WORKFLOW_BUNDLE at this file instead.
RUN node --input-type=module -e "\
import { writeFileSync } from 'node:fs'; \
import { bundleWorkflowCode } from '@temporalio/worker'; \
const { code } = await bundleWorkflowCode({ workflowsPath: '/app/dist/workflows/index.js' }); \
writeFileSync('/app/dist/workflow-bundle.js', code);"

# --- runtime: production dependencies and the compiled code only --------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    MOTCUA_WORKFLOW_BUNDLE=/app/dist/workflow-bundle.js
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY --from=build /app/console/dist ./dist/console/dist
# Catalogue files sit where the compiled loader looks for them (dist/catalogue/, beside dist/db/).
COPY --from=build /app/catalogue ./dist/catalogue
# The document directory, owned by the app so a named volume mounted there starts writable.
RUN mkdir -p /var/lib/motcua/documents && chown node:node /var/lib/motcua/documents
# Everything above is owned by root and only readable by the app: it runs unprivileged.
USER node
EXPOSE 3000
CMD ["node", "dist/api/main.js"]
