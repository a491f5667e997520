import { offlinePrismaConfig } from "@strangler/prisma-offline";

export default offlinePrismaConfig({ appDir: __dirname });
