# Production image: the built service and its production dependencies only. One image serves every role
# (APP_ROLE=api | worker | all).
FROM node:22-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY studio ./studio
RUN npm run build && npm prune --omit=dev

FROM node:22-slim
ENV NODE_ENV=production
# ffmpeg cuts and encodes the learning videos; the Noto fonts draw the translation lines of the slides
# (Chinese, Japanese and Korean; Arabic, Hebrew, Devanagari, Thai and more).
RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg fonts-noto-cjk fonts-noto-core && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
RUN mkdir -p /data/output /data/tmp /data/media && chown -R node:node /data
ENV OUTPUT_ROOT=/data/output TEMP_ROOT=/data/tmp MEDIA_ROOT=/data/media
USER node
EXPOSE 3000
# The API answers /health on PORT; a worker only where METRICS_PORT is set (otherwise it has no HTTP to probe).
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=4 \
  CMD node -e "const p=process.env.APP_ROLE==='worker'?process.env.METRICS_PORT:(process.env.PORT||3000);if(!p)process.exit(0);fetch('http://127.0.0.1:'+p+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/main.js"]
