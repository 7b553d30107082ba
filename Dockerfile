# Production image: the built service and its production dependencies only.
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

FROM node:20-slim
ENV NODE_ENV=production
# ffmpeg cuts and encodes the learning videos.
RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
RUN mkdir -p /data/output /data/tmp /data/media && chown -R node:node /data
ENV OUTPUT_ROOT=/data/output TEMP_ROOT=/data/tmp MEDIA_ROOT=/data/media
USER node
EXPOSE 3000
CMD ["node", "dist/main.js"]
